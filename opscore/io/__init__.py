"""Import and export of workspace tables (CSV and Excel) with validation."""

from opscore.io.bulk import STREAM_ABOVE_MB, LargeFilePreview, check_large_file, import_large_file, preview_large_file
from opscore.io.cells import MAX_CELL_CHARS, cell_text
from opscore.io.export import Sheets, csv_text, export_csv, export_excel, neutralise, tables_workbook
from opscore.io.headers import Confidence, HeaderMatch, match_headers, source_fingerprint
from opscore.io.importer import ImportPreview, ImportReport, import_file, import_frames, import_preview
from opscore.io.lines import LineAggregation, LineLayout, SkippedLines, aggregate_lines, detect_layout
from opscore.io.memory import recall_mapping, remember_mapping
from opscore.io.numbers import NumberAmbiguity, NumberFormat, parse_number
from opscore.io.reading import ENCODINGS, MAX_EXPANDED_MB, MAX_FILE_MB, FileReadError, read_file
from opscore.io.validation import Problem, number_questions, suggest_mapping

__all__ = [
    "STREAM_ABOVE_MB", "LargeFilePreview", "check_large_file", "import_large_file", "preview_large_file",
    "ENCODINGS", "MAX_CELL_CHARS", "MAX_EXPANDED_MB", "MAX_FILE_MB", "FileReadError", "ImportReport", "NumberAmbiguity",
    "NumberFormat", "Problem", "Sheets", "cell_text", "csv_text", "export_csv", "export_excel", "import_file",
    "import_frames", "neutralise", "number_questions", "parse_number", "read_file", "suggest_mapping",
    "LineAggregation", "LineLayout", "SkippedLines", "aggregate_lines", "detect_layout",
    "Confidence", "HeaderMatch", "ImportPreview", "import_preview", "match_headers", "recall_mapping",
    "remember_mapping", "source_fingerprint", "tables_workbook",
]
