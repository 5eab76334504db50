// GOV.UK Frontend: mark the page as supporting its JavaScript (the template's usual inline snippet,
// here in a file for the strict CSP), then start every component, again after htmx swaps.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
document.body.addEventListener("htmx:afterSettle", (event) => initAll({ scope: event.detail.elt }));

// A table wider than its box scrolls sideways: the box joins the tab order, named by its table's
// caption, so keyboard users reach it and scroll with the arrow keys (WCAG 2.1.1).
function focusableScrollBoxes(scope) {
  scope.querySelectorAll(".app-table-scroll").forEach((box) => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table (scroll sideways)");
    }
  });
}

focusableScrollBoxes(document);
document.body.addEventListener("htmx:afterSettle", (event) => focusableScrollBoxes(event.detail.elt));
