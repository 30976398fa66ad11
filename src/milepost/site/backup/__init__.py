"""`milepost backup` and `milepost restore`: the whole database and the uploaded files in one
archive that restores on SQLite or PostgreSQL (docs/deploying.md, "Backup and restore").

The archive is a zip file: `manifest.json` (format version, Milepost version, database vendor,
applied migrations per app, the columns, row count and SHA-256 of every table's data, the SHA-256
of every media file), `data/<app>.<model>.jsonl` (one JSON array of column values a row, in
primary-key order) and `media/<path>` (MEDIA_ROOT as it was). Rows are read and written in
batches, so memory stays bounded whatever the size of the database.
"""

from milepost.site.backup.archive import FORMAT_VERSION, BackupError, Manifest
from milepost.site.backup.create import create_backup
from milepost.site.backup.restore import restore_backup

__all__ = ["FORMAT_VERSION", "BackupError", "Manifest", "create_backup", "restore_backup"]
