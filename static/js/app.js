// Small progressive enhancements shared by every page. Libraries come from npm.
document.addEventListener("htmx:responseError", function (event) {
  const box = document.createElement("div");
  box.className = "alert alert-danger mt-2";
  box.setAttribute("role", "alert");
  let message = event.detail.xhr.statusText || "Error";
  try {
    const body = JSON.parse(event.detail.xhr.responseText);
    if (body && body.error && body.error.message) { message = body.error.message; }
  } catch (e) { /* not JSON */ }
  box.textContent = message;
  (event.detail.target || document.body).prepend(box);
});
