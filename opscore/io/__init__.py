"""Import and export of workspace tables (CSV and Excel) with validation."""

from opscore.io.cells import MAX_CELL_CHARS, cell_text
from opscore.io.export import Sheets, csv_text, export_csv, export_excel, neutralise
from opscore.io.importer import ImportReport, import_file, import_frames
from opscore.io.numbers import NumberAmbiguity, NumberFormat, parse_number
from opscore.io.reading import ENCODINGS, MAX_EXPANDED_MB, MAX_FILE_MB, FileReadError, read_file
from opscore.io.validation import Problem, number_questions, suggest_mapping

__all__ = [
    "ENCODINGS", "MAX_CELL_CHARS", "MAX_EXPANDED_MB", "MAX_FILE_MB", "FileReadError", "ImportReport", "NumberAmbiguity",
    "NumberFormat", "Problem", "Sheets", "cell_text", "csv_text", "export_csv", "export_excel", "import_file", "import_frames",
    "neutralise", "number_questions", "parse_number", "read_file", "suggest_mapping",
]
