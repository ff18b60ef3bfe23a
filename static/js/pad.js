/* The rating pad: checks every 2 s whether a transaction at its window has finished (or the rating time ran out)
   and reloads to show the question or the welcome screen. */
(function () {
  "use strict";
  var pad = document.getElementById("pad");
  if (!pad) { return; }
  var shown = pad.dataset.ticket || "", clerk = pad.dataset.clerk || "";
  var thanks = document.querySelector("[data-thanks]");
  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", pad.dataset.stateUrl);
    xhr.onload = function () {
      if (xhr.status === 200) {
        var data = JSON.parse(xhr.responseText), ticket = data.ticket ? String(data.ticket) : "";
        var who = data.clerk ? String(data.clerk) : "";
        if ((ticket !== shown && !(thanks && !ticket)) || who !== clerk) {
          window.location.replace(window.location.pathname);
          return;
        }
      }
      window.setTimeout(poll, 2000);
    };
    xhr.onerror = function () { window.setTimeout(poll, 5000); };
    xhr.send();
  }
  if (thanks) { window.setTimeout(function () { window.location.replace(window.location.pathname); }, 5000); }
  window.setTimeout(poll, 2000);
})();
