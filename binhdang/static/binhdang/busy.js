// A "please wait" sign for files made while the person waits (issue 14): a link marked data-busy fetches its
// file, says so in the page's live region (read out by screen readers), then hands the file to the browser and
// says it is done. Anything that is not a file (the sign-in page, an error page) opens as an ordinary page, and
// without JavaScript the link is an ordinary download. Files made by a background job (the PDFs) do not need
// this: their link opens the job's page, which shows progress.
(function () {
  var region = document.getElementById("busy-status");
  if (!region || !window.fetch || !window.URL || !URL.createObjectURL) return;

  function say(text) { region.textContent = text || ""; }

  function filename(disposition) {
    var encoded = /filename\*=utf-8''([^;]+)/i.exec(disposition);
    if (encoded) {
      try { return decodeURIComponent(encoded[1]); } catch (e) { /* fall through to the plain name */ }
    }
    var plain = /filename="?([^";]+)"?/i.exec(disposition);
    return plain ? plain[1] : "";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-busy]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;  // a new tab or window: as usual
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;  // already being made: one request, not two
    link.setAttribute("aria-busy", "true");
    say(region.dataset.wait);
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        var disposition = response.headers.get("Content-Disposition") || "";
        if (!response.ok || response.redirected || !/^attachment/i.test(disposition)) {
          say("");
          window.location.assign(response.url || link.href);
          return null;
        }
        return response.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = filename(disposition);
          save.hidden = true;
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          say(region.dataset.done);
          setTimeout(function () { if (region.textContent === region.dataset.done) say(""); }, 6000);
        });
      })
      .catch(function () { say(""); window.location.assign(link.href); })
      .then(function () { link.removeAttribute("aria-busy"); });
  });
})();
