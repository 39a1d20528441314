/* Names and text that the admin's own scripts leave out of the widgets they build
   (WCAG 2.1: 1.1.1 and 4.1.2), added once those scripts have run. Loaded on every
   coordinator's admin page by network.admin.CentreScopedAdmin (its Media); the
   fields' own names are set on the server (network.admin.LabelledInlineFormSet).
   A script rather than copies of Django's templates: these elements are made by
   Django's JavaScript (select2, the calendar, the filter of a many-to-many field),
   not by templates. */
"use strict";
(function () {
  function labelText(select) {
    const named = select.getAttribute("aria-label");
    if (named) {
      return named;
    }
    const label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  // Autocomplete pickers: select2 names its box after the chosen value only, so an
  // empty picker has no name. It gets its field's label. A row added later gets
  // its picker from Django on the same event, before this runs.
  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      const box = container && container.querySelector(".select2-selection[role=combobox]");
      const name = labelText(select);
      if (box && name) {
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", name);
        // ... and the text box inside it that shows the chosen value.
        box.querySelectorAll("[role=textbox]").forEach(function (shown) {
          shown.setAttribute("aria-label", name);
        });
      }
    });
  }

  // The add, change, delete and view icons next to a picker: an image with empty
  // alt text inside a link that has only a title. The image says what the link does.
  function textForIconLinks(root) {
    root.querySelectorAll("a.related-widget-wrapper-link > img").forEach(function (image) {
      if (!image.alt && image.parentElement.title) {
        image.alt = image.parentElement.title;
      }
    });
  }

  // The calendar and clock icons: an empty span with a title. It gets the title as
  // text, for screen readers only.
  function textForDateIcons(root) {
    root.querySelectorAll(".date-icon[title], .clock-icon[title]").forEach(function (icon) {
      if (!icon.textContent) {
        const text = document.createElement("span");
        text.className = "visually-hidden";
        text.textContent = icon.title;
        icon.appendChild(text);
      }
    });
  }

  // The filter of a many-to-many field puts a name on a plain span (which ARIA does
  // not allow) as the only content of its search box's label: the name becomes the
  // label's text, for screen readers only, and the icon is decoration.
  function textForTooltips(root) {
    root.querySelectorAll("span.help-tooltip[aria-label]").forEach(function (icon) {
      const text = document.createElement("span");
      text.className = "visually-hidden";
      text.textContent = icon.getAttribute("aria-label");
      icon.removeAttribute("aria-label");
      icon.setAttribute("aria-hidden", "true");
      icon.after(text);
    });
  }

  // An inline's table: its column headings head columns.
  function scopeForInlineHeadings(root) {
    root.querySelectorAll(".tabular thead th:not([scope])").forEach(function (heading) {
      heading.setAttribute("scope", "col");
    });
  }

  // Forms are told apart by name: the logout form by its button, the list's search by
  // its button, the page's own form by the page's heading.
  function nameForms() {
    const heading = document.querySelector("#content h1");
    document.querySelectorAll("form:not([aria-label])").forEach(function (form) {
      const button = form.querySelector("[type=submit]");
      let name = "";
      if (form.id === "logout-form" || form.id === "changelist-search") {
        name = button ? button.textContent.trim() || button.value : "";
      } else if (heading && form.closest("#content")) {
        name = heading.textContent.trim();
      }
      if (name) {
        form.setAttribute("aria-label", name);
      }
    });
    const search = document.getElementById("searchbar");
    const go = document.querySelector("#changelist-search [type=submit]");
    if (search && go && !search.getAttribute("aria-label")) {
      search.setAttribute("aria-label", go.value);
    }
  }

  // A field described by an element that is not on the page (the calendar points at
  // a time-zone note it shows only when the browser's zone differs from the server's):
  // keep the references that exist.
  function dropMissingDescriptions(root) {
    root.querySelectorAll("[aria-describedby]").forEach(function (field) {
      const ids = field.getAttribute("aria-describedby").split(/\s+/).filter(function (id) {
        return id && document.getElementById(id);
      });
      if (ids.length) {
        field.setAttribute("aria-describedby", ids.join(" "));
      } else {
        field.removeAttribute("aria-describedby");
      }
    });
  }

  function fix(root) {
    nameAutocompletes(root);
    textForIconLinks(root);
    textForDateIcons(root);
    textForTooltips(root);
    scopeForInlineHeadings(root);
    dropMissingDescriptions(root);
  }

  // After Django's own load handlers (the calendar and the filter start on load).
  window.addEventListener("load", function () {
    window.setTimeout(function () {
      fix(document);
      nameForms();
    }, 0);
  });
  // A row added to an inline: Django's scripts set it up on the same event, first.
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () {
      fix(event.target);
    }, 0);
  });
})();
