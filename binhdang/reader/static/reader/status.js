// Polls the reading status once a second and moves on when the reader has finished.
(function () {
  var box = document.getElementById("reader-status");
  if (!box || box.dataset.finished === "1") return;
  var bar = document.getElementById("status-progress");
  var label = document.getElementById("status-label");
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (bar) bar.value = data.progress;
        if (label) label.textContent = data.label;
        if (data.finished) { window.location.href = data.next; } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
