// The article body's editor: Quill 2 (static/vendor/quill, BSD-3-Clause) in place of the text
// area, which works without it. Loaded only on the article form. The editor offers exactly what
// the content service's sanitiser keeps (services/content/text.py): headings h2 to h4, bold,
// italic, lists, links, quotations and tables; text pasted from Word or Google Docs keeps those
// and loses the rest, and the service sanitises whatever arrives all the same.
"use strict";

(function () {
  var textarea = document.getElementById("than-bai");
  var format = document.getElementById("dinh-dang");
  if (!textarea || !format || typeof window.Quill === "undefined") {
    return;
  }
  // The editor reads HTML: a saved body shown in the light markup comes with its HTML, and one
  // typed in the markup stays in the text area.
  var saved = textarea.getAttribute("data-saved-html");
  var typed = format.value !== "html" && textarea.value.trim() !== "";
  if (typed && !(saved && textarea.value === textarea.defaultValue)) {
    return;
  }
  var initial = format.value === "html" ? textarea.value : saved || "";

  var FORMATS = ["header", "bold", "italic", "link", "list", "indent", "blockquote", "table"];
  var LOWEST = 2;
  var DEEPEST = 4; // h1 is the article's title
  var LABELS = {
    "ql-header:2": "Tiêu đề mục", "ql-header:3": "Tiêu đề mục nhỏ", "ql-header:4": "Tiêu đề mục nhỏ hơn",
    "ql-bold": "Chữ đậm", "ql-italic": "Chữ nghiêng", "ql-list:ordered": "Danh sách đánh số",
    "ql-list:bullet": "Danh sách gạch đầu dòng", "ql-blockquote": "Trích dẫn", "ql-link": "Liên kết",
    "ql-table": "Chèn bảng"
  };

  var holder = document.createElement("div");
  holder.className = "body-editor";
  textarea.parentNode.insertBefore(holder, textarea.nextSibling);
  var quill = new window.Quill(holder, {
    theme: "snow",
    formats: FORMATS,
    modules: {
      table: true,
      // Tab leaves the editor, as it leaves any field, so a keyboard never gets stuck in it.
      keyboard: { bindings: { tab: false, indent: false, outdent: false, "remove tab": false, "table tab": false } },
      toolbar: {
        container: [
          [{ header: 2 }, { header: 3 }, { header: 4 }],
          ["bold", "italic"],
          [{ list: "ordered" }, { list: "bullet" }],
          ["blockquote", "link", "table"]
        ],
        handlers: {
          table: function () {
            this.quill.getModule("table").insertTable(3, 2);
          }
        }
      }
    }
  });

  // Headings pasted at levels an article body does not use move to the nearest it does.
  quill.clipboard.addMatcher(Node.ELEMENT_NODE, function (node, delta) {
    delta.ops.forEach(function (op) {
      if (op.attributes && op.attributes.header) {
        op.attributes.header = Math.min(Math.max(op.attributes.header, LOWEST), DEEPEST);
      }
    });
    return delta;
  });

  // Bold and italic given by a style (Google Docs, Word) become the formats: the page's policy
  // keeps pasted styles from applying, so they are read from the attribute as written.
  var Delta = window.Quill.import("delta");
  quill.clipboard.addMatcher(Node.ELEMENT_NODE, function (node, delta) {
    var style = (node.getAttribute("style") || "").toLowerCase().replace(/\s+/g, "");
    var formats = {};
    if (/font-weight:(bold|[6-9]00)/.test(style)) {
      formats.bold = true;
    }
    if (/font-style:italic/.test(style)) {
      formats.italic = true;
    }
    return Object.keys(formats).length ? delta.compose(new Delta().retain(delta.length(), formats)) : delta;
  });

  // A saved body's header cells become the editor's cells (its tables have no others); the
  // first row turns back into headers when it is sent.
  function withPlainCells(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    page.querySelectorAll("th").forEach(function (header) {
      var cell = page.createElement("td");
      cell.innerHTML = header.innerHTML;
      header.parentNode.replaceChild(cell, header);
    });
    page.querySelectorAll("thead").forEach(function (head) {
      var table = head.parentNode;
      var body = table.querySelector("tbody") || table.appendChild(page.createElement("tbody"));
      Array.prototype.slice.call(head.children).reverse().forEach(function (row) {
        body.insertBefore(row, body.firstChild);
      });
      table.removeChild(head);
    });
    return page.body.innerHTML;
  }

  if (initial.trim() !== "") {
    quill.setContents(quill.clipboard.convert({ html: withPlainCells(initial) }), "silent");
  }

  // The editor is named and described as the text area was, and its buttons in Vietnamese.
  var editable = quill.root;
  editable.setAttribute("role", "textbox");
  editable.setAttribute("aria-multiline", "true");
  editable.setAttribute("aria-labelledby", "nhan-than-bai");
  if (textarea.getAttribute("aria-describedby")) {
    editable.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
  }
  holder.parentNode.querySelectorAll(".ql-toolbar button").forEach(function (button) {
    var name = button.className.split(" ")[0] + (button.value ? ":" + button.value : "");
    if (LABELS[name]) {
      button.setAttribute("aria-label", LABELS[name]);
      button.title = LABELS[name];
    }
    if (name === "ql-table") {
      button.textContent = "Bảng";
    }
  });
  textarea.hidden = true;
  format.value = "html";
  document.querySelectorAll(".body-format, .markup-help").forEach(function (part) {
    part.hidden = true;
  });

  // A table's first row is its header row, as in the light markup: a table needs header cells.
  function withHeaderRows(html) {
    // Quill gives tables a border style, which the sanitiser would drop anyway.
    var page = new DOMParser().parseFromString(html.replace(/<table style="[^"]*">/g, "<table>"), "text/html");
    page.querySelectorAll("table").forEach(function (table) {
      var first = table.querySelector("tr");
      if (!first || table.querySelector("th")) {
        return;
      }
      var head = page.createElement("thead");
      var row = page.createElement("tr");
      Array.prototype.forEach.call(first.children, function (cell) {
        var header = page.createElement("th");
        header.setAttribute("scope", "col");
        header.innerHTML = cell.innerHTML;
        row.appendChild(header);
      });
      head.appendChild(row);
      first.parentNode.removeChild(first);
      table.insertBefore(head, table.firstChild);
    });
    return page.body.innerHTML;
  }

  // Saving or previewing sends the editor's HTML in the text area's place.
  textarea.form.addEventListener("submit", function () {
    var empty = quill.getText().trim() === "" && !quill.root.querySelector("table");
    textarea.value = empty ? "" : withHeaderRows(quill.getSemanticHTML().replace(/&nbsp;/g, " "));
  });
})();
