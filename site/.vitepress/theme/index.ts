// The default theme, with the site's few styles (the edition switch line of the API pages).
import DefaultTheme from "vitepress/theme"
import "./style.css"

export default DefaultTheme
