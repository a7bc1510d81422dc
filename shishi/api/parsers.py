"""The API's JSON parser: a body nested deeper than Python's recursion allows is the client's
error (400 with a Chinese message), not a RecursionError (500)."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON 嵌套层数过多，无法解析") from error
