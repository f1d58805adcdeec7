import { createContext, useContext } from "react";

/** The CSP nonce for this response's inline scripts (empty in the browser, which hides it). */
export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
