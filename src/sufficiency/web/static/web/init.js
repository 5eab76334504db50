// GOV.UK Frontend: mark the page as supporting its JavaScript (the template's usual inline snippet,
// here in a file for the strict CSP), then start every component, again after htmx swaps.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
document.body.addEventListener("htmx:afterSettle", (event) => initAll({ scope: event.detail.elt }));
