#!/usr/bin/env python3
"""A first day on an installed fieldlink, through its HTTP API (scripts/package-test.sh):
the dispatcher made with --create-user signs in, makes a technician, a client registers and
opens a request, the dispatcher assigns it, both send text messages (the text plugin) and
read them back, the plugins are loaded from the installed folder, and the web page is served
at /.   usage: package_smoke.py BASE_URL DISPATCHER PASSWORD"""
import json
import sys
import urllib.error
import urllib.request

base, dispatcher, password = sys.argv[1:4]


def call(method, path, body=None, token=None, expect=200):
    request = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, text = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if status != expect:
        sys.exit(f"{method} {path}: {status}, expected {expect}: {text[:300]}")
    return text


def login(username, secret):
    return json.loads(call("POST", "/api/token/", {"username": username, "password": secret}))["access"]


boss = login(dispatcher, password)
tech = json.loads(call("POST", "/api/users/", {"username": "tina", "password": "tina-password-1",
                                              "display_name": "Tina", "role": "technician"},
                       boss, 201))
call("POST", "/api/auth/register/", {"username": "carl", "password": "carl-password-1",
                                     "display_name": "Carl"}, expect=201)
carl, tina = login("carl", "carl-password-1"), login("tina", "tina-password-1")
job = json.loads(call("POST", "/api/requests/", {"title": "Boiler is leaking"}, carl, 201))
assigned = json.loads(call("POST", f"/api/requests/{job['id']}/assign/",
                           {"technician_id": tech["id"]}, boss))
conversation = assigned["conversation_id"]
for token, text in ((carl, "Water everywhere"), (tina, "On my way")):
    call("POST", "/api/chat/messages/", {"conversation_id": conversation, "message_type": "text",
                                         "content": {"text": text}}, token, 201)
history = json.loads(call("GET", f"/api/chat/messages/conversation_messages/"
                                 f"?conversation_id={conversation}", token=carl))
texts = [m["content"].get("text") for m in history["results"] if m["message_type"] == "text"]
if texts != ["Water everywhere", "On my way"]:
    sys.exit(f"history holds {texts}")
plugins = json.loads(call("GET", "/api/plugins/", token=boss))
loaded = sorted(p["name"] for p in plugins if p.get("state") == "loaded")
for name in ("text", "file", "voice", "video", "location"):
    if name not in loaded:
        sys.exit(f"plugin {name} is not loaded: {plugins}")
page = call("GET", "/")
if "<html" not in page.lower():
    sys.exit("/ is not the web page")
print(f"smoke test passed: messages sent and read, plugins {', '.join(loaded)}, page served")
