const destroy = () => undefined;

export default destroy;
