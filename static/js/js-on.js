// Loaded without defer, in <head>: marks the page as scripted before it is
// first painted, so controls that need script (css/comments.css `.js-only`)
// show, and the forms they open start closed, without a flash. No inline
// script (CSP), hence a file of one line.
document.documentElement.classList.add("js");
