// Focal point picker for the photo admin: a click on the preview sets focal_x/focal_y and moves the marker.
// Values are percent from the image's top-left corner whatever the page direction; without this script the
// two number fields are typed by hand.
(function () {
  "use strict";

  function percent(value) {
    return Math.max(0, Math.min(100, Math.round(value)));
  }

  function setUp(picker) {
    var image = picker.querySelector("img");
    var marker = picker.querySelector(".focal-point-marker");
    var inputX = document.getElementById(picker.getAttribute("data-input-x"));
    var inputY = document.getElementById(picker.getAttribute("data-input-y"));
    if (!image || !marker || !inputX || !inputY) {
      return;
    }

    function showMarker() {
      // Physical left/top on purpose: the point belongs to the image, which never flips in RTL.
      marker.style.left = percent(Number(inputX.value) || 0) + "%";
      marker.style.top = percent(Number(inputY.value) || 0) + "%";
      marker.hidden = false;
    }

    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      inputX.value = percent(((event.clientX - box.left) / box.width) * 100);
      inputY.value = percent(((event.clientY - box.top) / box.height) * 100);
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
      inputY.dispatchEvent(new Event("change", { bubbles: true }));
      showMarker();
    });
    inputX.addEventListener("input", showMarker);
    inputY.addEventListener("input", showMarker);
    picker.classList.add("focal-point-active");
    showMarker();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-focal-point]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
