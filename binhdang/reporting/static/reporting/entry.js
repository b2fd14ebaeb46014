/* Bình Đẳng report entry: checks as typed, mirroring binhdang/reporting/checks.py. No dependencies.
   Immediate feedback only; the server checks again and is the authority. */
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  var source = document.getElementById("entry-messages");
  if (!form || !source) { return; }
  var M = JSON.parse(source.textContent);
  // Vietnamese numbers: "1.040" is 1040, "45,5" is 45.5 (binhdang/lib/numbers.py).
  var NUMBER = /^([-+\u2212]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/;

  function parse(text) {
    text = (text || "").trim();
    if (text.slice(-1) === "%") { text = text.slice(0, -1).trim(); }
    if (!text) { return null; }
    var m = NUMBER.exec(text);
    if (!m) { return NaN; }
    var sign = m[1] === "-" || m[1] === "\u2212" ? "-" : "";
    return parseFloat(sign + m[2].replace(/\./g, "") + (m[3] ? "." + m[3] : ""));
  }

  function format(n) {
    var parts = (Math.round(n * 100) / 100).toFixed(2).replace(/\.?0+$/, "").split(".");
    var neg = parts[0].charAt(0) === "-";
    var whole = parts[0].replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (neg ? "-" : "") + whole + (parts[1] ? "," + parts[1] : "");
  }

  function near(a, b) { return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)); }

  function say(input, text) {
    var box = document.getElementById(input.id + "-msg");
    if (!box) { return; }
    var slot = box.querySelector(".js-msg");
    if (slot) { slot.textContent = text || ""; }
    if (text) { input.setAttribute("aria-invalid", "true"); } else if (!box.querySelector(".server-msg")) {
      input.removeAttribute("aria-invalid");
    }
  }

  function inputsOf(cell) {
    var found = {};
    var list = cell.querySelectorAll("[data-field]");
    for (var i = 0; i < list.length; i++) { found[list[i].getAttribute("data-field")] = list[i]; }
    return found;
  }

  function checkIndicator(block) {
    var measure = block.getAttribute("data-measure");
    var scale = parseFloat(block.getAttribute("data-scale")) || 1;
    var fraction = measure === "percentage" || measure === "rate" || measure === "ratio";
    var cells = block.querySelectorAll(".cell");
    var bySex = {};
    var i, f;
    for (i = 0; i < cells.length; i++) {
      var cell = cells[i];
      var inputs = inputsOf(cell);
      var nums = {};
      var msgs = {};
      for (f in inputs) {
        if (!Object.prototype.hasOwnProperty.call(inputs, f)) { continue; }
        nums[f] = parse(inputs[f].value);
        if (isNaN(nums[f]) && nums[f] !== null) { msgs[f] = M.nan; } else if (nums[f] !== null && nums[f] < 0) { msgs[f] = M.negative; }
      }
      if (fraction) {
        var top = nums.numerator, bottom = nums.denominator;
        var rate = cell.querySelector("[data-rate]");
        if (typeof top === "number" && !isNaN(top) && (bottom === null || bottom === undefined)) { msgs.denominator = msgs.denominator || M.no_denominator; }
        if (bottom === 0 && top) { msgs.denominator = msgs.denominator || M.zero_denominator; }
        if (measure === "percentage" && top !== null && bottom && !isNaN(top) && !isNaN(bottom) && top > bottom) {
          msgs.numerator = msgs.numerator || M.part_over_whole;
        }
        var value = top !== null && bottom && !isNaN(top) && !isNaN(bottom) ? top / bottom * scale : null;
        if (measure === "percentage" && value !== null && value > 100 && !msgs.numerator) { msgs.numerator = M.over_100; }
        if (rate) { rate.textContent = value === null ? "—" : format(value); }
      }
      for (f in inputs) {
        if (Object.prototype.hasOwnProperty.call(inputs, f)) { say(inputs[f], msgs[f]); }
      }
      bySex[cell.getAttribute("data-sex")] = { nums: nums, inputs: inputs };
    }
    // Female and male against the total (checks.check_sexes).
    var problems = [];
    var total = bySex.total, female = bySex.female, male = bySex.male;
    if (total && female && male) {
      var fields = fraction ? ["numerator", "denominator"] : ["value"];
      for (i = 0; i < fields.length; i++) {
        f = fields[i];
        var whole = total.nums[f], a = female.nums[f], b = male.nums[f];
        if (whole === null || whole === undefined || isNaN(whole)) { continue; }
        var parts = [[a, female], [b, male]];
        for (var p = 0; p < 2; p++) {
          var part = parts[p][0];
          if (part !== null && !isNaN(part) && part > whole) {
            say(parts[p][1].inputs[f], M.over_total);
          }
        }
        if (a !== null && b !== null && !isNaN(a) && !isNaN(b) && !near(a + b, whole)) {
          problems.push(M.sum.replace("{sum}", format(a + b)).replace("{total}", format(whole)));
        }
      }
    }
    var line = block.querySelector(".js-ind-msg");
    if (line) { line.textContent = problems.join(" "); }
  }

  // The parts by age group, ethnicity and area against the total, column by column (reporting/totals.py): where
  // they cover the total, all entered, an empty total will be their sum and a typed one must equal it; otherwise
  // the parts entered must not exceed it.
  function checkGrid(block) {
    var table = block.querySelector("table.combos");
    var line = block.querySelector(".js-grid-msg");
    if (!table || !line) { return; }
    var tiles = table.getAttribute("data-tiles") === "1";
    var columns = {};
    var inputs = table.querySelectorAll("input[data-part]");
    var i;
    for (i = 0; i < inputs.length; i++) {
      var cell = inputs[i].closest("td");
      var key = cell.getAttribute("data-sex") + "|" + inputs[i].getAttribute("data-part");
      var column = columns[key] || (columns[key] = { sum: 0, missing: 0, bad: false });
      var n = parse(inputs[i].value);
      if (n === null) { column.missing += 1; } else if (isNaN(n)) { column.bad = true; } else { column.sum += n; }
    }
    var problems = [];
    for (var key2 in columns) {
      if (!Object.prototype.hasOwnProperty.call(columns, key2)) { continue; }
      var col = columns[key2];
      var sex = key2.split("|")[0], field = key2.split("|")[1];
      var head = table.querySelector('thead th[data-sex="' + sex + '"]');
      var totalCell = block.querySelector('.cell[data-sex="' + sex + '"]');
      var totalInput = totalCell ? totalCell.querySelector('[data-field="' + field + '"]') : null;
      var whole = totalInput ? parse(totalInput.value) : null;
      if (col.bad || (whole !== null && isNaN(whole))) { continue; }
      var words = function (text) {
        return text.replace("{sex}", head ? head.textContent : sex).replace("{sum}", format(col.sum))
          .replace("{total}", whole === null ? "" : format(whole));
      };
      var entered = inputs.length && col.missing < table.querySelectorAll('td[data-sex="' + sex + '"] input[data-part="' + field + '"]').length;
      if (!entered) { continue; }
      if (tiles && col.missing === 0) {
        if (whole === null) { problems.push(words(M.parts_derived)); } else if (!near(col.sum, whole)) { problems.push(words(M.parts_sum)); }
      } else if (whole !== null && col.sum > whole && !near(col.sum, whole)) {
        problems.push(words(M.parts_over));
      }
    }
    line.textContent = problems.join(" ");
  }

  function checkAmount(input) {
    var n = parse(input.value);
    say(input, n !== null && isNaN(n) ? M.nan : n !== null && n < 0 ? M.negative : "");
  }

  function clearServer(input) {
    var box = document.getElementById(input.id + "-msg");
    if (!box) { return; }
    var old = box.querySelectorAll(".server-msg");
    for (var i = 0; i < old.length; i++) { old[i].parentNode.removeChild(old[i]); }
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (!target || !target.getAttribute) { return; }
    var block = target.closest ? target.closest(".ind") : null;
    if (target.getAttribute("data-part")) {
      clearServer(target);
      if (block) { checkGrid(block); }
      return;
    }
    if (!target.getAttribute("data-field")) { return; }
    clearServer(target);
    if (block) { checkIndicator(block); checkGrid(block); } else { checkAmount(target); }
  });
  form.addEventListener("change", function (event) {
    var block = event.target && event.target.closest ? event.target.closest(".ind") : null;
    if (block) { checkIndicator(block); }
  });
})();
