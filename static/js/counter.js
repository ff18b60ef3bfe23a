/* The counter desk: a timer counting up from the server's start time, and the call-to-ticket form showing the
   fields of the chosen kind. Everything works without this file (the start time is printed; every field shows). */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function format(total) {
    var hours = Math.floor(total / 3600), minutes = Math.floor((total % 3600) / 60), seconds = total % 60;
    return hours ? hours + ":" + pad(minutes) + ":" + pad(seconds) : minutes + ":" + pad(seconds);
  }

  function startTimer(el) {
    var started = Number(el.dataset.startedAt) * 1000;
    var due = el.dataset.dueAt ? Number(el.dataset.dueAt) * 1000 : null;
    // The PC's clock may differ from the server's: count from the server's "now" at page load.
    var skew = el.dataset.serverNow ? Number(el.dataset.serverNow) * 1000 - Date.now() : 0;
    var out = el.querySelector("[data-elapsed]");
    if (!started || !out) { return; }
    function tick() {
      var now = Date.now() + skew;
      out.textContent = format(Math.max(0, Math.floor((now - started) / 1000)));
      var over = due !== null && now >= due;
      el.dataset.over = over ? "true" : "false";
      el.classList.toggle("over", over);
    }
    el.classList.add("live");
    tick();
    window.setInterval(tick, 1000);
  }

  function kindFields(form) {
    var select = form.querySelector("select[name$='kind']");
    if (!select) { return; }
    var sets = form.querySelectorAll("[data-kind-fields]");
    function update() {
      sets.forEach(function (set) {
        var shown = set.dataset.kindFields === select.value;
        set.hidden = !shown;
        set.disabled = !shown;
      });
    }
    select.addEventListener("change", update);
    update();
  }

  function init() {
    document.querySelectorAll("[data-timer]").forEach(startTimer);
    document.querySelectorAll("form[data-ticket-form]").forEach(kindFields);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
