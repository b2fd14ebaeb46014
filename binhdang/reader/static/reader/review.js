// Highlights, in the source text, the span a focused field was read from.
(function () {
  var pre = document.getElementById("source-text");
  if (!pre) return;
  var text = pre.textContent;
  function show(start, end) {
    pre.textContent = "";
    var mark = document.createElement("mark");
    mark.textContent = text.slice(start, end);
    pre.append(text.slice(0, start), mark, text.slice(end));
    var box = pre.getBoundingClientRect();
    var at = mark.getBoundingClientRect();
    pre.scrollTop += at.top - box.top - pre.clientHeight / 3;
  }
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (!el.dataset || el.dataset.start === undefined || el.dataset.start === "") return;
    var start = parseInt(el.dataset.start, 10), end = parseInt(el.dataset.end, 10);
    if (!isNaN(start) && !isNaN(end) && end >= start && end <= text.length) show(start, end);
  });
})();
