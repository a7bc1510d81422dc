from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shishi.core import backup


class Command(BaseCommand):
    help = (
        "把一份备份恢复到新的目录（SQLite 数据库和上传文件）或新的 PostgreSQL 数据库，"
        "然后校验：文件校验和、SQLite 完整性检查、各表行数、迁移状态；有任何不符即以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="备份目录（shishi-backup-…）")
        parser.add_argument(
            "--target-dir",
            type=Path,
            required=True,
            help="恢复到的目录：上传文件放在其中 media/，SQLite 数据库为其中 shishi.sqlite3",
        )
        parser.add_argument(
            "--database", default="", help="PostgreSQL 备份恢复到的新数据库名（同一服务器）"
        )
        parser.add_argument("--force", action="store_true", help="目标非空时仍然覆盖")

    def handle(self, *args, source, target_dir, database, force, **options):
        try:
            report = backup.restore_backup(
                source=source, target_dir=target_dir, database=database, force=force
            )
        except backup.BackupError as error:
            raise CommandError(f"恢复失败：{error}") from error
        self.stdout.write(f"恢复 {source} 的校验报告：")
        for line in report.lines:
            self.stdout.write(self.style.SUCCESS(f"  ✓ {line}"))
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"  ✗ {problem}"))
        if not report.ok:
            raise CommandError(f"恢复校验未通过：{len(report.problems)} 处问题")
        self.stdout.write(self.style.SUCCESS("恢复完成，全部校验通过。"))
