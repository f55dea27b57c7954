/* BED / EQD2 calculator for the spinal metastases methods book.
 *
 * Plain JavaScript, no network. It reads a schedule in the written forms that
 * spinemets.radiobiology.parse_schedule accepts and computes, with the linear-quadratic model,
 *   BED  = D * (1 + d / (alpha/beta))
 *   EQD2 = BED / (1 + 2 / (alpha/beta))
 * where D is the total dose and d = D / n the dose per fraction. The browser tests check its
 * results against the library on a table of schedules. Teaching tool, not treatment planning.
 */
(function () {
  "use strict";
  var NUM = "(\\d+(?:\\.\\d+)?)";
  var GY = "\\s*(?:gy|gray)";
  var FX = "\\s*(?:(?:fx|fxs|fr|frs|fractions?|f)\\b\\.?|#)";
  var PATTERNS = [
    ["total", new RegExp("^" + NUM + GY + "\\s*/\\s*" + NUM + "(?:" + FX + ")?$")],
    ["total", new RegExp("^" + NUM + GY + "\\s+in\\s+" + NUM + "(?:" + FX + ")?$")],
    ["single", new RegExp("^" + NUM + GY +
      "\\s+(?:in\\s+)?(?:a\\s+|one\\s+)?single(?:\\s+fraction|\\s+fx)?$")],
    ["per_fraction", new RegExp("^" + NUM + GY + "\\s*[x\u00d7*]\\s*" + NUM + "(?:" + FX + ")?$")],
    ["count_first", new RegExp("^" + NUM + "(?:" + FX + ")?\\s*[x\u00d7*]\\s*" + NUM + GY + "$")]
  ];

  function parseSchedule(text) {
    if (typeof text !== "string") { throw new Error("Type a schedule such as 30 Gy/10 fx."); }
    var s = text.trim().toLowerCase().split(/\s+/).join(" ");
    s = s.replace(/\s*\([^()]*\)$/, "");
    for (var i = 0; i < PATTERNS.length; i++) {
      var kind = PATTERNS[i][0], m = PATTERNS[i][1].exec(s);
      if (!m) { continue; }
      var dose, n;
      if (kind === "single") { dose = parseFloat(m[1]); n = 1; }
      else if (kind === "total") { dose = parseFloat(m[1]); n = parseFloat(m[2]); }
      else if (kind === "per_fraction") { n = parseFloat(m[2]); dose = parseFloat(m[1]) * n; }
      else { n = parseFloat(m[1]); dose = parseFloat(m[2]) * n; }
      if (!(dose > 0 && isFinite(dose))) { throw new Error("The dose must be > 0."); }
      if (!(n >= 1 && n === Math.floor(n))) {
        throw new Error("The number of fractions must be a positive whole number.");
      }
      return { total: Math.round(dose * 1e10) / 1e10, fractions: n };
    }
    throw new Error("Not a schedule this calculator can read: try 30 Gy/10 fx, " +
      "20 Gy in 5 fractions, 8 Gy x 1 or 18 Gy single fraction (doses in Gy, not cGy).");
  }

  function bed(total, fractions, ab) { return total * (1 + (total / fractions) / ab); }
  function eqd2(total, fractions, ab) { return bed(total, fractions, ab) / (1 + 2 / ab); }

  function fmt(x) { return (Math.round(x * 100) / 100).toFixed(2); }

  function update(root) {
    var out = root.querySelector(".bedcalc-result");
    var err = root.querySelector(".bedcalc-error");
    var text = root.querySelector(".bedcalc-schedule").value;
    var ab = parseFloat(root.querySelector(".bedcalc-ab").value);
    try {
      if (!(ab > 0 && isFinite(ab))) { throw new Error("alpha/beta must be a number > 0 (Gy)."); }
      var s = parseSchedule(text);
      var b = bed(s.total, s.fractions, ab), e = eqd2(s.total, s.fractions, ab);
      root.querySelector(".bedcalc-total").textContent = fmt(s.total);
      root.querySelector(".bedcalc-fractions").textContent = String(s.fractions);
      root.querySelector(".bedcalc-dpf").textContent = fmt(s.total / s.fractions);
      root.querySelector(".bedcalc-bed").textContent = fmt(b);
      root.querySelector(".bedcalc-eqd2").textContent = fmt(e);
      root.querySelectorAll(".bedcalc-abval").forEach(function (el) { el.textContent = String(ab); });
      root.dataset.bed = String(b);
      root.dataset.eqd2 = String(e);
      out.hidden = false; err.hidden = true; err.textContent = "";
    } catch (ex) {
      out.hidden = true; err.hidden = false; err.textContent = ex.message;
      delete root.dataset.bed; delete root.dataset.eqd2;
    }
  }

  function init() {
    document.querySelectorAll(".bedcalc").forEach(function (root) {
      root.querySelectorAll("input").forEach(function (input) {
        input.addEventListener("input", function () { update(root); });
      });
      update(root);
    });
  }

  window.spinemetsBED = { parseSchedule: parseSchedule, bed: bed, eqd2: eqd2 };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
