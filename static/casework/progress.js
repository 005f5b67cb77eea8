// Live progress of a batch's letter generation: polls the batch's progress endpoint (JSON)
// every two seconds until no letter is left, then reloads the page for the next step.
// A static file because the content security policy forbids inline scripts.
(function () {
  "use strict";
  var section = document.getElementById("progress");
  if (!section || section.dataset.state !== "generating") { return; }
  var url = section.dataset.progressUrl;
  function show(data) {
    var bar = section.querySelector("[data-bar]");
    bar.max = data.total;
    bar.value = data.done + data.failed;
    bar.textContent = data.percent + "%";
    section.querySelector("[data-done]").textContent = data.done;
    section.querySelector("[data-total]").textContent = data.total;
    section.querySelector("[data-failed]").textContent = data.failed;
    section.querySelector("[data-state-label]").textContent = data.state_label;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data);
        if (data.state === "generating") { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
