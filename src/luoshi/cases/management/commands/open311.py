"""luoshi open311 keys add NAME | keys revoke NAME|PREFIX | keys list"""
from django.core.management.base import BaseCommand, CommandError

from luoshi.core.errors import LuoshiError

from ...models import Open311Key
from ...open311 import do_add_key, do_revoke_key


class Command(BaseCommand):
    help = "Open311 API keys (接口密钥): add prints the new key on its last line; only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("group", choices=["keys"])
        parser.add_argument("action", choices=["add", "revoke", "list"])
        parser.add_argument("name", nargs="?")

    def handle(self, group, action, name=None, **opts):
        try:
            if action == "add":
                if not name:
                    raise CommandError("usage: luoshi open311 keys add NAME")
                obj, key = do_add_key("命令行", name)
                self.stdout.write(f"Open311 key for {obj.name} (only shown now; stored hashed):")
                self.stdout.write(key)
            elif action == "revoke":
                if not name:
                    raise CommandError("usage: luoshi open311 keys revoke NAME|PREFIX")
                n = do_revoke_key("命令行", name)
                self.stdout.write(f"revoked {n} key(s)")
            else:
                for k in Open311Key.objects.all():
                    self.stdout.write(f"{k.prefix}…\t{k.name}\t{k.created_at:%Y-%m-%d}\t"
                                      f"{'revoked ' + k.revoked_at.strftime('%Y-%m-%d') if k.revoked_at else 'active'}")
        except LuoshiError as exc:
            raise CommandError(exc.message_en) from None
