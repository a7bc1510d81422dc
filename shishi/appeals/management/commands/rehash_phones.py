from django.core.management.base import BaseCommand

from shishi.appeals.actions import rehash_phones


class Command(BaseCommand):
    help = (
        "按当前密钥（SHISHI_PHONE_HASH_KEY，未设置时由 SECRET_KEY 派生）重新计算全部诉求的"
        "号码摘要；更换密钥后运行，否则“同号码历史诉求”查不到以前的诉求。"
    )

    def handle(self, *args, **options):
        self.stdout.write(f"已重新计算 {rehash_phones()} 件诉求的号码摘要")
