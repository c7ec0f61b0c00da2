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

// The schedule's week grid: a "Thêm dòng" button under each day's empty rows adds one more
// (without JavaScript each day has two, and every save brings two more).
document.querySelectorAll("details.schedule-new").forEach(function (details) {
  var template = details.querySelector("fieldset.schedule-entry");
  if (!template) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button-secondary";
  button.textContent = "Thêm dòng";
  button.addEventListener("click", function () {
    var next = 0;
    details.closest("form").querySelectorAll("input[name$='.id']").forEach(function (input) {
      next = Math.max(next, parseInt(input.name, 10) + 1);
    });
    var key = template.querySelector("input[name$='.id']").name.split(".")[0];
    var row = template.cloneNode(true);
    row.querySelectorAll("[name]").forEach(function (control) {
      control.name = next + control.name.slice(key.length);
      if (control.tagName !== "SELECT") {
        control.value = "";
      }
      control.removeAttribute("aria-invalid");
    });
    row.querySelectorAll("[id], label[for]").forEach(function (element) {
      var attribute = element.hasAttribute("for") ? "for" : "id";
      element.setAttribute(attribute, element.getAttribute(attribute).replace("muc-" + key + "-", "muc-" + next + "-"));
    });
    row.querySelector("legend").textContent = "Lịch mới " + (details.querySelectorAll("fieldset").length + 1);
    details.insertBefore(row, button);
    row.querySelector("input[type='time']").focus();
  });
  details.appendChild(button);
});
