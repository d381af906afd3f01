import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { configureClient } from './api/client'
import { App } from './App'
import { markUnauthorized } from './stores/connection'
import { applyTheme, useUi } from './stores/ui'
import './styles/app.css'

// Any 401 anywhere means the token is gone: the shell swaps to the "unauthorized" screen.
configureClient({ onUnauthorized: markUnauthorized })
applyTheme(useUi.getState().theme)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
