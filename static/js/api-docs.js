// The API explorer: Swagger UI over the page's own openapi.json (no inline script, so the site's CSP holds).
(function () {
  var holder = document.getElementById("api-explorer");
  if (!holder || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: holder.getAttribute("data-spec-url"),
    domNode: holder,
    deepLinking: false,
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"]
  });
})();
