// Where the course keeps models in the browser: lesson 1 saves its trained model here after every
// epoch, and the app page loads it from here.
export const TRAINED_MODEL = "indexeddb://dl-course-lesson-1";
// Lesson 2's export-and-reload demonstration.
export const SAVED_MODEL = "indexeddb://dl-course-lesson-2";
