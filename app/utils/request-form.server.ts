/**
 * Reads a POST body as form fields without turning a malformed request into a 500: an empty body
 * (a bare `curl -X POST`, whatever Content-Type it claims) is an empty form, and a body that is
 * not a form answers `null`, for the action to refuse with a 400.
 */
export async function formDataOrNull(request: Request): Promise<FormData | null> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    const text = await request.text();
    return text.trim() === "" ? new FormData() : null;
  }
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

export const NOT_A_FORM =
  "Send the export options as a form (application/x-www-form-urlencoded or multipart/form-data).";
