from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shishi.core import backup


class Command(BaseCommand):
    help = (
        "备份数据库和上传文件到一个新目录（含 manifest.json：迁移状态、各表行数、"
        "每个文件的 SHA-256），并按 SHISHI_BACKUP_KEEP 删除最旧的备份。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dest", type=Path, default=None, help="备份存放目录（默认 SHISHI_BACKUP_DIR）"
        )
        parser.add_argument(
            "--keep", type=int, default=None, help="保留最新的几份（默认 SHISHI_BACKUP_KEEP）"
        )

    def handle(self, *args, dest, keep, **options):
        dest = dest or Path(settings.BACKUP_DIR)
        keep = settings.BACKUP_KEEP if keep is None else keep
        try:
            folder = backup.take_backup(dest=dest)
        except backup.BackupError as error:
            raise CommandError(f"备份失败：{error}") from error
        manifest = backup.read_manifest(folder)
        rows = sum(manifest["tables"].values())
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{folder}\n"
                f"  数据库 {manifest['database']['vendor']}，{len(manifest['tables'])} 张表共 "
                f"{rows} 行；上传文件 {media} 个"
            )
        )
        for old in backup.prune_backups(dest=dest, keep=keep):
            self.stdout.write(f"  已删除旧备份：{old.name}")
