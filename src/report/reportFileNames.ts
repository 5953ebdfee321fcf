/** File name of the HTML page inside the report directory. */
export const REPORT_HTML_NAME = 'report.html';
