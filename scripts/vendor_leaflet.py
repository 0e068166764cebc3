"""Copy Leaflet's dist files from the installed XStatic-Leaflet package into static/leaflet/.

The app serves them with Streamlit static serving (server.enableStaticServing) at
/app/static/leaflet/, so route maps never load Leaflet from a CDN. Run by `make install`;
safe to re-run. Usage: python scripts/vendor_leaflet.py [target folder]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from xstatic.pkg import leaflet

FILES = ("leaflet.js", "leaflet.css", "images")


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "static" / "leaflet"
    source = Path(leaflet.BASE_DIR)
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        src, dst = source / name, target / name
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    print(f"Leaflet {leaflet.VERSION} copied to {target}")


if __name__ == "__main__":
    main()
