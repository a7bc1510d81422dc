from django.core.management.base import BaseCommand, CommandError

from shishi.core.errors import Refused
from shishi.orgs import actions, queries


class Command(BaseCommand):
    help = (
        "重置某人的动态验证码（身份验证器与恢复码），其下次登录时重新绑定；"
        "用于唯一的市级管理员丢失手机等无法在页面上重置的情形。记入审计日志（系统）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录名")

    def handle(self, *args, username: str, **options):
        person = queries.person_by_username(username)
        if person is None:
            raise CommandError(f"没有登录名为 {username} 的人员")
        try:
            actions.reset_totp(actor=None, person=person)
        except Refused as refusal:
            raise CommandError(refusal.message) from refusal
        self.stdout.write(f"已重置 {person.name}（{username}）的动态验证码，其下次登录时需重新绑定")
