#!/usr/bin/env python3
"""The `scale` scenario of scripts/bench.sh: what a server with a long history costs.

  scale.py SERVER WORK [--conversations=N] [--messages=N] [--mysql-socket=SOCK --mysql-url=URL]

Makes a database the way the server would (`--create-user` runs the migrations), fills it
straight through SQL with N conversations of one dispatcher, one technician and a client
each, and the messages spread over them round-robin (fast: no server in the way), then
starts SERVER on it and prints one JSON line: the time from start to /readyz answering 200,
the server's RSS then, and for the dispatcher (a participant of every conversation) p50 and
p99 of the first page of GET /api/chat/conversations/, of GET /api/chat/dashboard/ and of a
history page, with the size of each answer. The environment is bench.sh's (JWT secret, fast
password hashing). Without --mysql-socket the store is SQLite.
"""
import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import time
import urllib.request

PASSWORD = "scale-password-1"
DAY_MS = 86_400_000


def rows(conversations, messages, now_ms):
    """The rows to insert, table by table, as (table, columns, iterator of tuples)."""
    first_client = 3  # 1: the dispatcher --create-user made, 2: the technician
    created = now_ms - 30 * DAY_MS
    yield "users", ("id", "username", "display_name", "role", "password_hash", "created_at"), (
        (2, "scale-tech", "Scale Technician", "technician", "-", created),
        *((first_client + i, f"scale-client-{i}", f"Client {i}", "client", "-", created)
          for i in range(conversations)))
    yield "service_requests", ("id", "client_id", "technician_id", "conversation_id", "title",
                               "description", "address", "status", "created_at", "updated_at"), (
        (i + 1, first_client + i, 2, i + 1, f"Job {i}", "", "", "completed" if i % 10 else
         "assigned", created, created) for i in range(conversations))
    last = [0] * conversations
    for m in range(messages):
        last[m % conversations] = m + 1
    yield "conversations", ("id", "request_id", "created_at", "last_message_id"), (
        (i + 1, i + 1, created, last[i]) for i in range(conversations))
    yield "participants", ("conversation_id", "user_id", "role", "last_read_message_id"), (
        row for i in range(conversations)
        for row in ((i + 1, first_client + i, "client", 0), (i + 1, 2, "technician", 0),
                    (i + 1, 1, "dispatcher", 0)))
    spacing = max(1, 30 * DAY_MS // max(messages, 1))
    yield "messages", ("id", "conversation_id", "sender_id", "message_type", "content",
                       "attachments", "created_at"), (
        (m + 1, m % conversations + 1,
         first_client + m % conversations if m % 2 == 0 else 2, "text",
         json.dumps({"text": f"message {m} about the boiler"}), "[]", created + m * spacing)
        for m in range(messages))


def fill_sqlite(path, tables):
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")  # the fill only: the server opens it its own way
    for table, columns, values in tables:
        db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                       f"({', '.join('?' * len(columns))})", values)
        db.commit()
    db.close()


def sql_literal(value):
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def fill_mysql(socket, database, tables):
    client = subprocess.Popen(["mariadb", f"--socket={socket}", "-uroot", database],
                              stdin=subprocess.PIPE, text=True)
    client.stdin.write("SET unique_checks = 0; SET foreign_key_checks = 0;\n")
    for table, columns, values in tables:
        batch = []
        for row in values:
            batch.append("(" + ", ".join(sql_literal(v) for v in row) + ")")
            if len(batch) == 2000:
                client.stdin.write(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                   + ", ".join(batch) + ";\n")
                batch = []
        if batch:
            client.stdin.write(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                               + ", ".join(batch) + ";\n")
    client.stdin.close()
    if client.wait() != 0:
        raise SystemExit("mariadb could not fill the database")


def get(port, path, token=None, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     data=None if body is None else json.dumps(body).encode())
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status, answer.read()


def timed(port, path, token, times):
    durations, size = [], 0
    for _ in range(times):
        start = time.perf_counter()
        _, body = get(port, path, token)
        durations.append((time.perf_counter() - start) * 1000)
        size = len(body)
    durations.sort()
    return {"p50_ms": round(statistics.median(durations), 2),
            "p99_ms": round(durations[int(len(durations) * 0.99) - 1], 2), "bytes": size}


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("work")
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--mysql-socket")
    parser.add_argument("--mysql-url")
    parser.add_argument("--times", type=int, default=100)
    args = parser.parse_args()

    data = os.path.join(args.work, "scale-data")
    env = dict(os.environ)
    env.pop("FIELDLINK_BUS_REDIS", None)  # a deployment of its own, not the bench's nodes
    if args.mysql_socket:
        database = "fieldlink_scale"
        subprocess.run(["mariadb", f"--socket={args.mysql_socket}", "-uroot", "-e",
                        f"CREATE DATABASE {database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"],
                       check=True)
        env.update(FIELDLINK_STORE_BACKEND="mysql",
                   FIELDLINK_STORE_MYSQL_URL=args.mysql_url + database)
    else:
        env.pop("FIELDLINK_STORE_BACKEND", None)
    subprocess.run([args.server, f"--data-dir={data}", "--create-user=scale-boss",
                    "--role=dispatcher"], env={**env, "FIELDLINK_PASSWORD": PASSWORD},
                   check=True, stdout=subprocess.DEVNULL)
    fill_started = time.monotonic()
    tables = rows(args.conversations, args.messages, int(time.time() * 1000))
    if args.mysql_socket:
        fill_mysql(args.mysql_socket, "fieldlink_scale", tables)
    else:
        fill_sqlite(os.path.join(data, "fieldlink.db"), tables)
    fill_seconds = time.monotonic() - fill_started

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with open(os.path.join(args.work, "scale-server.log"), "w") as log:
        started = time.monotonic()
        server = subprocess.Popen([args.server, f"--data-dir={data}", f"--port={port}"], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            ready = None
            while ready is None and time.monotonic() - started < 600:
                try:
                    if get(port, "/readyz")[0] == 200:
                        ready = time.monotonic() - started
                except OSError:
                    time.sleep(0.02)
            if ready is None:
                raise SystemExit("the server did not get ready within 10 minutes")
            rss = rss_kib(server.pid)
            _, tokens = get(port, "/api/token/", body={"username": "scale-boss",
                                                       "password": PASSWORD})
            token = json.loads(tokens)["access"]
            middle = args.conversations // 2 or 1
            result = {
                "scenario": "scale",
                "store": "mariadb" if args.mysql_socket else "sqlite",
                "conversations": args.conversations, "messages": args.messages,
                "fill_seconds": round(fill_seconds, 1),
                "ready_seconds": round(ready, 2), "rss_kib": rss,
                "conversations_page": timed(port, "/api/chat/conversations/", token, args.times),
                "dashboard_page": timed(port, "/api/chat/dashboard/", token, args.times),
                "history_page": timed(
                    port, f"/api/chat/messages/conversation_messages/?conversation_id={middle}"
                    "&limit=50", token, args.times),
            }
            print(json.dumps(result))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
