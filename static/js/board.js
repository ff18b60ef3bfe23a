/* The waiting-hall board: polls the feed every second (calls appear within 2 s), lists the newest calls and
   announces each one in turn — a chime, then the call read aloud in Chinese and in the office's minority language
   where the browser has a voice for it. Announcements queue: one never cuts another off. No external service. */
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var feed = board.dataset.feed, last = Number(board.dataset.last || 0), MAX_ROWS = 8, POLL_MS = 1000;
  var queue = [], speaking = false, soundOn = false, audio = null;
  var tbody = document.getElementById("board-calls"), latest = document.getElementById("board-latest");
  var button = document.getElementById("board-sound");

  function voiceFor(lang) {
    if (!("speechSynthesis" in window)) { return null; }
    var want = lang === "zh-hans" ? "zh" : lang;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf(want) === 0) { return voices[i]; }
    }
    return lang === "zh-hans" ? undefined : null;  // Chinese: let the browser pick; others only with a voice
  }

  function chime(done) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [660, 880].forEach(function (freq, i) {
        var osc = audio.createOscillator(), gain = audio.createGain(), t = audio.currentTime + i * 0.35;
        osc.frequency.value = freq; gain.gain.setValueAtTime(0.25, t); gain.gain.exponentialRampToValueAtTime(0.001, t + 0.3);
        osc.connect(gain); gain.connect(audio.destination); osc.start(t); osc.stop(t + 0.32);
      });
      window.setTimeout(done, 800);
    } catch (e) { done(); }
  }

  function say(texts, done) {
    if (!("speechSynthesis" in window) || !texts.length) { done(); return; }
    var text = texts[0], voice = voiceFor(text.lang);
    if (voice === null) { say(texts.slice(1), done); return; }
    var u = new window.SpeechSynthesisUtterance(text.text);
    u.lang = text.lang === "zh-hans" ? "zh-CN" : text.lang;
    if (voice) { u.voice = voice; }
    var finished = false;
    function next() { if (!finished) { finished = true; say(texts.slice(1), done); } }
    u.onend = next; u.onerror = next;
    window.setTimeout(next, 15000);  // a stuck engine must not stop the queue
    window.speechSynthesis.speak(u);
  }

  function announceNext() {
    if (speaking || !queue.length) { return; }
    var call = queue.shift();
    speaking = true;
    board.dataset.announcing = call.number;
    function done() { speaking = false; delete board.dataset.announcing; announceNext(); }
    if (!soundOn) { done(); return; }
    chime(function () { say(call.texts, done); });
  }

  function show(call) {
    var row = document.createElement("tr");
    row.dataset.call = call.id;
    [call.number, call.window].forEach(function (value) {
      var td = document.createElement("td"), bdi = document.createElement("bdi");
      bdi.dir = "ltr"; bdi.textContent = value; td.appendChild(bdi); row.appendChild(td);
    });
    tbody.insertBefore(row, tbody.firstChild);
    while (tbody.children.length > MAX_ROWS) { tbody.removeChild(tbody.lastChild); }
    latest.textContent = "";
    call.texts.forEach(function (t) {
      var span = document.createElement("span");
      span.lang = t.lang; span.className = "q-bi"; span.textContent = t.text;
      if (t.lang === "ug") { span.dir = "rtl"; }
      latest.appendChild(span);
    });
    row.classList.add("q-new");
  }

  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", feed + "?after=" + last);
    xhr.onload = function () {
      if (xhr.status === 200) {
        var data = JSON.parse(xhr.responseText);
        data.calls.forEach(function (call) { show(call); queue.push(call); });
        last = data.last;
        board.dataset.last = String(last);
        announceNext();
      }
      window.setTimeout(poll, POLL_MS);
    };
    xhr.onerror = function () { window.setTimeout(poll, POLL_MS * 3); };
    xhr.send();
  }

  button.addEventListener("click", function () {
    soundOn = !soundOn;
    button.setAttribute("aria-pressed", soundOn ? "true" : "false");
    if (soundOn) { chime(function () {}); }
  });
  window.setTimeout(poll, POLL_MS);
})();
