/* Kiosk page behaviour, no library: the on-screen keypad and the idle countdown. Everything also works without it
   (the fields take the keyboard; the server ends idle sessions). */
(function () {
  "use strict";

  function keypad() {
    var pad = document.querySelector("[data-keypad]");
    if (!pad) { return; }
    var fields = Array.prototype.slice.call(document.querySelectorAll("[data-keypad-target]"));
    if (!fields.length) { return; }
    var target = fields.find(function (f) { return f.value.length < (f.maxLength > 0 ? f.maxLength : 99); }) || fields[0];
    fields.forEach(function (field) {
      field.addEventListener("focus", function () { target = field; mark(); });
    });
    function mark() {
      fields.forEach(function (f) { f.classList.toggle("keypad-target", f === target); });
    }
    function change(field, value) {
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    pad.addEventListener("pointerdown", function (event) {
      // Keep the focus (and the caret) in the field being filled.
      if (event.target.closest("[data-key]")) { event.preventDefault(); }
    });
    pad.addEventListener("click", function (event) {
      var button = event.target.closest("[data-key]");
      if (!button) { return; }
      var key = button.getAttribute("data-key");
      var max = target.maxLength > 0 ? target.maxLength : 99;
      if (key === "back") {
        change(target, target.value.slice(0, -1));
      } else if (key === "clear") {
        change(target, "");
      } else if (target.value.length < max) {
        change(target, target.value + key);
        if (target.value.length >= max) {
          var next = fields[fields.indexOf(target) + 1];
          if (next) { target = next; }
        }
      }
      if (event.detail !== 0) { target.focus({ preventScroll: true }); }  // pointer: follow; keyboard: stay on the key
      mark();
    });
    pad.hidden = false;
    mark();
  }

  function idle() {
    var box = document.getElementById("kiosk-idle");
    var form = document.getElementById("kiosk-finish");
    if (!box || !form) { return; }
    var total = parseInt(box.getAttribute("data-idle-seconds"), 10);
    if (!(total > 0)) { return; }
    var count = document.getElementById("kiosk-idle-seconds");
    var deadline = Date.now() + total * 1000;
    var done = false;
    function reset() { deadline = Date.now() + total * 1000; tick(); }
    function tick() {
      if (done) { return; }
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      count.textContent = String(left);
      box.classList.toggle("ending", left <= 10);
      if (left === 0) {
        done = true;
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    }
    ["pointerdown", "touchstart", "keydown", "wheel"].forEach(function (type) {
      document.addEventListener(type, reset, { passive: true, capture: true });
    });
    setInterval(tick, 250);
    tick();
  }

  function start() { keypad(); idle(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
