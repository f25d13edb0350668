// A bare in-memory relay with fieldlink's paths: the baseline scripts/bench.sh measures
// fieldlink against, in the same run on the same machine. No authentication checks, no
// storage, no validation: what any chat relay must at least do (parse, route, fan out).
//   node relay.js PORT
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

const users = new Map();          // username -> {id, role}
const tokens = new Map();         // token -> user id
const requests = new Map();       // id -> request
const conversations = new Map();  // id -> {messages: [], sockets: Set}
let nextId = 1;
let nextMessageId = 1;

function conversation(id) {
  if (!conversations.has(id)) conversations.set(id, { messages: [], sockets: new Set() });
  return conversations.get(id);
}

function answer(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function callerOf(req) {
  const auth = req.headers.authorization || '';
  return tokens.get(auth.slice(7)) || 0;
}

function store(conversationId, sender, type, content, clientId) {
  const message = {
    id: nextMessageId++, conversation_id: conversationId, sender_id: sender, message_type: type,
    content, client_id: clientId === undefined ? null : clientId, created_at: new Date().toISOString(),
  };
  conversation(conversationId).messages.push(message);
  return message;
}

function route(req, res, body) {
  const url = new URL(req.url, 'http://x');
  const path = url.pathname;
  const json = body ? JSON.parse(body) : {};
  if (req.method === 'GET' && path === '/healthz') return answer(res, 200, { status: 'ok' });
  if (req.method === 'POST' && (path === '/api/auth/register/' || path === '/api/users/')) {
    const user = { id: nextId++, username: json.username, role: json.role || 'client' };
    users.set(json.username, user);
    return answer(res, 201, user);
  }
  if (req.method === 'POST' && path === '/api/token/') {
    const user = users.get(json.username) || { id: nextId++, username: json.username };
    users.set(json.username, user);
    const token = 't' + user.id + '.' + Math.random().toString(36).slice(2);
    tokens.set(token, user.id);
    return answer(res, 200, { access: token, refresh: token });
  }
  if (req.method === 'POST' && path === '/api/requests/') {
    const request = { id: nextId++, title: json.title, client_id: callerOf(req), status: 'pending' };
    requests.set(request.id, request);
    return answer(res, 201, request);
  }
  const assign = path.match(/^\/api\/requests\/(\d+)\/assign\/$/);
  if (req.method === 'POST' && assign) {
    const request = requests.get(Number(assign[1]));
    request.status = 'assigned';
    request.conversation_id = request.id;
    conversation(request.id);
    return answer(res, 200, request);
  }
  if (req.method === 'POST' && path === '/api/chat/messages/') {
    const message = store(json.conversation_id, callerOf(req), json.message_type, json.content, json.client_id);
    broadcast(message.conversation_id, null, JSON.stringify({ type: 'message', message }));
    return answer(res, 201, message);
  }
  if (req.method === 'GET' && path === '/api/chat/messages/conversation_messages/') {
    const messages = conversation(Number(url.searchParams.get('conversation_id'))).messages;
    const limit = Number(url.searchParams.get('limit') || 50);
    const before = Number(url.searchParams.get('before_id') || Infinity);
    let end = messages.length;
    while (end > 0 && messages[end - 1].id >= before) --end;
    return answer(res, 200, { results: messages.slice(Math.max(0, end - limit), end).reverse(), has_more: end > limit });
  }
  return answer(res, 404, { detail: 'Not found.', code: 'not_found' });
}

function broadcast(conversationId, except, text) {
  for (const socket of conversation(conversationId).sockets) if (socket !== except) socket.send(text);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      route(req, res, Buffer.concat(chunks).toString());
    } catch (e) {
      answer(res, 400, { detail: String(e), code: 'invalid' });
    }
  });
});
server.keepAliveTimeout = 30000;

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://x');
  const match = url.pathname.match(/^\/ws\/chat\/(\d+)\/$/);
  const user = tokens.get(url.searchParams.get('token')) || 0;
  wss.handleUpgrade(req, socket, head, (ws) => {
    const conversationId = match ? Number(match[1]) : 0;
    if (conversationId) conversation(conversationId).sockets.add(ws);
    ws.on('close', () => { if (conversationId) conversation(conversationId).sockets.delete(ws); });
    ws.on('message', (data) => {
      let frame;
      try { frame = JSON.parse(data); } catch (e) { return ws.send('{"type":"error","code":"parse_error"}'); }
      if (frame.type === 'ping') return ws.send('{"type":"pong"}');
      if (frame.type !== 'message') return;
      const target = frame.conversation_id || conversationId;
      const message = store(target, user, frame.message_type, frame.content, frame.client_id);
      ws.send(JSON.stringify({ type: 'ack', client_id: frame.client_id, message }));
      broadcast(target, ws, JSON.stringify({ type: 'message', message }));
    });
  });
});

server.listen(Number(process.argv[2] || 8001), '127.0.0.1');
