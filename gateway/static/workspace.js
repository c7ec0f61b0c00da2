// The workspace works without this file; it only improves it. Each area adds its part below.
"use strict";

// A button with data-confirm asks before its form is sent (deleting, rolling back).
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var question = button && button.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
