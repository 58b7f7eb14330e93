// The «ع ع ع» text-size control. The chosen size is kept on the reader's device (localStorage)
// and applied on every article page; without JavaScript the page simply keeps the default size.
(function () {
  "use strict";
  var KEY = "newsroom:text-size";
  var SIZES = ["small", "medium", "large"];
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function apply(size) {
    if (SIZES.indexOf(size) === -1) { size = "medium"; }
    root.setAttribute("data-text-size", size);
    var buttons = document.querySelectorAll(".text-size__button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-text-size") === size));
    }
  }

  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    document.addEventListener("click", function (event) {
      var button = event.target.closest(".text-size__button");
      if (!button) { return; }
      var size = button.getAttribute("data-text-size");
      try { window.localStorage.setItem(KEY, size); } catch (e) { /* private mode: size lasts this page */ }
      apply(size);
    });
  });
})();
