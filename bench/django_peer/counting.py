"""Statements per request in an ``X-SQL-Statements`` header, as the app and the floor give it
in the bench (the wrk runner tells listed requests from its fillers by it)."""

from __future__ import annotations

from django.db import connection


class CountStatements:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        if count[0]:
            response["X-SQL-Statements"] = str(count[0])
        return response
