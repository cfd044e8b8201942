// Candidate form: move focus to the first field with an error, so keyboard and
// screen-reader users land where the fix is needed.
document.addEventListener("DOMContentLoaded", () => {
  const invalid = document.querySelector(".candidate-form .has-error input, .candidate-form .has-error select, .candidate-form .has-error textarea");
  if (invalid) {
    invalid.setAttribute("aria-invalid", "true");
    invalid.focus();
  }
});
