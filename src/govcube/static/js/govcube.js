// Site-wide behaviour without inline script (the Content-Security-Policy allows only files from this site).
document.addEventListener("DOMContentLoaded", function () {
  var language = document.getElementById("gc-language");
  if (language) {
    language.addEventListener("change", function () {
      language.form.submit();
    });
  }
});
