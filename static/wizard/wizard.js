// The public flow's only script. Progressive enhancement: every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // After a failed submit, move keyboard and screen-reader focus to the list of problems,
  // whose links lead to each field.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
