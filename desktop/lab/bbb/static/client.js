// The lab's stand-in for the BBB HTML5 client. Every piece of user data is put in the page with
// textContent: never parsed as markup, never string-built HTML.
"use strict";

(function () {
  const token = new URLSearchParams(window.location.search).get("sessionToken") || "";
  const POLL_MS = 1000;
  let lastSequence = 0;
  let stopped = false;

  function byId(id) { return document.getElementById(id); }

  function setState(state, text) {
    document.body.dataset.state = state;
    byId("status").textContent = text;
  }

  async function api(path, body) {
    const options = {
      method: body === undefined ? "GET" : "POST",
      headers: { "X-Session-Token": token },
      credentials: "same-origin",
      cache: "no-store",
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) { throw new Error(data.error || ("HTTP " + response.status)); }
    return data;
  }

  function renderParticipants(participants) {
    const list = byId("participants");
    const items = participants.map(function (p) {
      const li = document.createElement("li");
      li.dataset.userId = p.userId;
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = p.name;
      const role = document.createElement("span");
      role.className = "role";
      role.textContent = p.role === "MODERATOR" ? "moderator" : "viewer";
      li.append(name, role);
      return li;
    });
    list.replaceChildren.apply(list, items);
  }

  function appendMessages(messages) {
    const chat = byId("chat");
    const atBottom = chat.scrollTop + chat.clientHeight >= chat.scrollHeight - 4;
    for (const m of messages) {
      lastSequence = Math.max(lastSequence, m.sequence);
      if (chat.querySelector('li[data-message-id="' + CSS.escape(m.messageId) + '"]')) { continue; }
      const li = document.createElement("li");
      li.dataset.messageId = m.messageId;
      li.dataset.sequence = String(m.sequence);
      const sender = document.createElement("span");
      sender.className = "sender";
      sender.textContent = m.senderName;
      const text = document.createElement("span");
      text.className = "text";
      text.textContent = m.message;
      li.append(sender, text);
      chat.append(li);
    }
    if (atBottom) { chat.scrollTop = chat.scrollHeight; }
  }

  function render(state) {
    byId("meeting-name").textContent = state.meeting.name;
    document.title = state.meeting.name;
    renderParticipants(state.participants);
    appendMessages(state.messages);
    if (state.meeting.ended) {
      setState("ended", "The meeting has ended.");
      stopped = true;
    } else if (state.me.waiting) {
      setState("waiting", "Waiting for a moderator to let you in…");
    } else if (state.me.left) {
      setState("left", "You left the meeting.");
      stopped = true;
    } else {
      setState("joined", "In the meeting as " + state.me.name);
    }
    const usable = document.body.dataset.state === "joined";
    byId("message-input").disabled = !usable;
    byId("send").disabled = !usable;
    byId("leave").disabled = !usable;
  }

  async function poll() {
    try {
      render(await api("lab/api/state?after=" + lastSequence));
    } catch (error) {
      setState("error", "Connection problem: " + error.message);
    }
    if (!stopped) { window.setTimeout(poll, POLL_MS); }
  }

  async function send(event) {
    event.preventDefault();
    const input = byId("message-input");
    const text = input.value;
    if (!text.trim()) { return; }
    try {
      await api("lab/api/chat", { message: text });
      input.value = "";
      render(await api("lab/api/state?after=" + lastSequence));
    } catch (error) {
      byId("status").textContent = "Not sent: " + error.message;
    }
  }

  async function leave() {
    try {
      await api("lab/api/leave", {});
      stopped = true;
      setState("left", "You left the meeting.");
      byId("message-input").disabled = true;
      byId("send").disabled = true;
      byId("leave").disabled = true;
    } catch (error) {
      byId("status").textContent = "Could not leave: " + error.message;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    byId("chat-form").addEventListener("submit", send);
    byId("message-input").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { send(event); }
    });
    byId("leave").addEventListener("click", leave);
    poll();
  });
})();
