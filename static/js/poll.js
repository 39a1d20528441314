// Keeps a "being made" status up to date: fetches the page again every two
// seconds and swaps in the new status until it is no longer pending.
(function () {
  "use strict";
  const region = document.querySelector("[data-poll]");
  if (!region) {
    return;
  }
  const url = region.getAttribute("data-poll");
  async function check() {
    const response = await fetch(url, {headers: {"X-Requested-With": "poll"}});
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById(region.id);
    if (!fresh) {
      return;
    }
    region.innerHTML = fresh.innerHTML;
    if (fresh.hasAttribute("data-poll")) {
      window.setTimeout(check, 2000);
    } else {
      region.removeAttribute("data-poll");
    }
  }
  window.setTimeout(check, 2000);
})();
