const App = () => <p>Live voting</p>;

export { App };
export default App;
