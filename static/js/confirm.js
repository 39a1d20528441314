// A button with data-confirm asks before its form is sent (the text says what
// happens). Without JavaScript the form is sent at once, as a plain form.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
