"""Census boundary files into `Area` (and their display shapes into `AreaShape`).

`import_areas(path, level)` reads the file with the point import's readers
(`servicepoints.imports.readers.read_table`), finds Statistics Canada's usual fields
(`fields`), stages every feature with COPY and checks them in SQL (`staging`), then loads the
whole file with one INSERT … ON CONFLICT in the same transaction: any error refuses the file
and changes nothing.
"""

from .load import AreaImportResult, import_areas

__all__ = ["AreaImportResult", "import_areas"]
