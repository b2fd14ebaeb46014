// Polls a background job once a second (as the reader's page does) and shows its result when it has finished.
(function () {
  var box = document.getElementById("job-status");
  if (!box || box.dataset.finished === "1") return;
  var bar = document.getElementById("job-progress");
  var label = document.getElementById("job-state");
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (bar) bar.value = data.progress;
        if (label) label.textContent = data.stage ? data.label + " (" + data.stage + ")" : data.label;
        if (data.finished) { window.location.href = data.next; } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
