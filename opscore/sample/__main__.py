"""Command line: ``python -m opscore.sample csv DIR [--skus N]`` or ``build PATH``."""

from __future__ import annotations

import argparse
from pathlib import Path

from opscore.sample import SampleSpec, build_sample_workspace, generate, write_csvs


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m opscore.sample", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    csv = sub.add_parser("csv", help="write the sample business as CSV files")
    csv.add_argument("folder", type=Path)
    csv.add_argument("--skus", type=int, default=SampleSpec.n_skus, help="number of SKUs (scale factor)")
    csv.add_argument("--seed", type=int, default=SampleSpec.seed)
    build = sub.add_parser("build", help="build a workspace file from data/sample/*.csv")
    build.add_argument("path", type=Path)
    build.add_argument("--from", dest="folder", type=Path, default=None)
    args = parser.parse_args()
    if args.command == "csv":
        paths = write_csvs(generate(SampleSpec(seed=args.seed, n_skus=args.skus)), args.folder)
        print(f"wrote {len(paths)} files to {args.folder}")
    else:
        build_sample_workspace(args.path, args.folder)
        print(f"built {args.path}")


if __name__ == "__main__":
    main()
