/* The lab's audience page (like Esup-Pod's live page): the HLS player, the live status and the
 * chat form.  Every piece of server data reaches the page through textContent only. */
(function () {
  "use strict";

  var body = document.body;
  var hlsUrl = body.getAttribute("data-hls-url");
  var stateUrl = body.getAttribute("data-state-url");
  var chatUrl = body.getAttribute("data-chat-url");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var video = document.getElementById("player");
  var note = document.getElementById("player-note");
  var title = document.getElementById("title");
  var liveStatus = document.getElementById("live-status");
  var chatSection = document.getElementById("chat-section");
  var form = document.getElementById("chat-form");
  var first = document.getElementById("first-name");
  var last = document.getElementById("last-name");
  var message = document.getElementById("message");
  var count = document.getElementById("message-count");
  var chatStatus = document.getElementById("chat-status");
  var sendButton = document.getElementById("send");
  var POLL_MS = 2000;

  var hls = null;
  var nativePlaying = false;

  function setNote(text) { note.textContent = text; }

  function startPlayer() {
    if (hls !== null || nativePlaying) { return; }
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 4 });
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
        var played = video.play();
        if (played && played.catch) { played.catch(function () { setNote("Press play to start the stream."); }); }
      });
      hls.on(window.Hls.Events.ERROR, function (event, data) {
        if (data && data.fatal) {
          setNote("The stream stopped (" + String(data.details || "error") + "); retrying.");
          stopPlayer();
        }
      });
      hls.loadSource(hlsUrl);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = hlsUrl;
      nativePlaying = true;
      var started = video.play();
      if (started && started.catch) { started.catch(function () { setNote("Press play to start the stream."); }); }
    } else if (!note.textContent) {
      setNote("This browser cannot play HLS streams.");
    }
  }

  function stopPlayer() {
    if (hls !== null) {
      hls.destroy();
      hls = null;
    }
    if (nativePlaying) {
      video.removeAttribute("src");
      video.load();
      nativePlaying = false;
    }
  }

  function showState(state) {
    var live = state.live === true;
    body.setAttribute("data-live", live ? "yes" : "no");
    title.textContent = live && typeof state.title === "string" ? state.title : state.gateway + ": not live";
    liveStatus.textContent = live ? "Live" : "Not live: no webinar is being streamed here.";
    chatSection.hidden = state.chat !== true;
    if (live) { startPlayer(); } else { stopPlayer(); }
  }

  function poll() {
    fetch(stateUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) { showState(state); } })
      .catch(function () { liveStatus.textContent = "The live page cannot reach the server."; })
      .then(function () { window.setTimeout(poll, POLL_MS); });
  }

  function updateCount() { count.textContent = String(message.value.length); }

  function showChatStatus(text, kind) {
    chatStatus.textContent = text;
    chatStatus.className = kind;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var payload = { first: first.value, last: last.value, message: message.value };
    sendButton.disabled = true;
    showChatStatus("Sending…", "");
    fetch(chatUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload)
    })
      .then(function (response) { return response.json(); })
      .then(function (reply) {
        if (reply && reply.is_sent === true) {
          showChatStatus("Message sent. It will be displayed after 10 to 30 seconds on the live stream.", "sent");
          message.value = "";
          updateCount();
        } else {
          showChatStatus(reply && typeof reply.error === "string" ? reply.error : "The message could not be sent.", "error");
        }
      })
      .catch(function () { showChatStatus("The message could not be sent.", "error"); })
      .then(function () { sendButton.disabled = false; });
  });
  message.addEventListener("input", updateCount);

  updateCount();
  if (body.getAttribute("data-live") === "yes") { startPlayer(); }
  window.setTimeout(poll, POLL_MS);
}());
