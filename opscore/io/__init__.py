"""Import and export of workspace tables (CSV and Excel) with validation."""

from opscore.io.importer import ImportReport, export_csv, export_excel, import_file, import_frames
from opscore.io.reading import ENCODINGS, MAX_FILE_MB, FileReadError, read_file
from opscore.io.validation import Problem, suggest_mapping

__all__ = [
    "ENCODINGS", "MAX_FILE_MB", "FileReadError", "ImportReport", "Problem", "export_csv", "export_excel",
    "import_file", "import_frames", "read_file", "suggest_mapping",
]
