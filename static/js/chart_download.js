// "Last ned som PNG": the chart's own SVG drawn on a canvas at twice its size, saved
// as a PNG for a slide. Done in the browser, so the server needs no SVG renderer.
(function () {
  "use strict";
  function download(button) {
    var figure = button.closest(".chart-downloads").previousElementSibling;
    var svg = figure && figure.querySelector("svg");
    if (!svg) { return; }
    var box = svg.viewBox.baseVal;
    var scale = 2;
    var copy = svg.cloneNode(true);
    copy.setAttribute("width", box.width);
    copy.setAttribute("height", box.height);
    var text = new XMLSerializer().serializeToString(copy);
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = box.width * scale;
      canvas.height = box.height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = button.dataset.filename || "chart.png";
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }
  document.querySelectorAll("[data-chart-png]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { download(button); });
  });
})();
