/* Django's admin puts its time-zone note ("Note: Enter times in the Europe/Oslo
   time zone …") under date fields as well as time fields, when the browser's clock
   is in another zone than the server's. A date has no time of day and no time zone,
   so this removes the note from date-only fields (the DateField widget of
   network.admin loads this script). The note stays under time fields. It runs on
   "load", after DateTimeShortcuts.js (loaded before this file) has added the notes. */
"use strict";
window.addEventListener("load", function () {
    for (const input of document.querySelectorAll("input.vDateField[data-date-only]")) {
        const note = document.getElementById(input.id + "_timezone_warning_helptext");
        if (note) {
            note.remove();
        }
    }
});
