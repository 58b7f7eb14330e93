// The «ع ع ع» text-size control. The chosen size is kept on the reader's device (localStorage) and applied on
// every article page; without JavaScript the page simply keeps the default size. Loaded with `defer`, so the
// page is parsed when this runs. No words live here: what a screen reader hears comes from the page
// (each button's data-text-size-message, already translated), spoken through the page's polite live region.
(function () {
  "use strict";
  var KEY = "newsroom:text-size";
  var SIZES = ["small", "medium", "large"];
  var root = document.documentElement;

  // Private browsing, full storage or a blocked site: localStorage may be missing or throw on every use.
  // The control then still works, for this page only.
  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function remember(size) {
    try { window.localStorage.setItem(KEY, size); } catch (e) { /* the size lasts this page */ }
  }

  function apply(size) {
    if (SIZES.indexOf(size) === -1) { size = "medium"; }
    root.setAttribute("data-text-size", size);
    var buttons = document.querySelectorAll(".text-size__button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-text-size") === size));
    }
  }

  function announce(button) {
    var status = document.querySelector(".text-size__status");
    if (status) { status.textContent = button.getAttribute("data-text-size-message") || ""; }
  }

  // The stored size is applied silently: only a change the reader makes is announced.
  apply(stored());
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".text-size__button");
    if (!button) { return; }
    var size = button.getAttribute("data-text-size");
    remember(size);
    apply(size);
    announce(button);
  });
})();
